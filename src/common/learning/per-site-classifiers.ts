/**
 * A shipped model plus what each site's moderators taught it, rebuilt from a lessons table:
 * at first use and on `refresh()` (after a decision commits, and periodically in workers), so
 * every replica converges on the same state and a restart loses nothing. A lesson counts on its
 * own site only; one without a known site applies nowhere. The one home of this logic for the
 * spam and toxicity models.
 */
export class PerSiteClassifiers<C, R extends { siteId: string | null }> {
  private current: Promise<{ base: C; bySite: Map<string, C> }> | undefined;
  /** How many times the classifiers were rebuilt from the table (a bulk decision: once). */
  rebuilds = 0;

  constructor(
    private readonly source: {
      /** Every stored lesson of the model's feature space. */
      lessons(): Promise<R[]>;
      /** The model alone. */
      base(): C;
      /** The model plus one site's lessons. */
      withLessons(lessons: R[]): C;
      /** A rebuild failed (the next use tries again). */
      onError(error: unknown): void;
    },
  ) {}

  /** The classifier of a site: the model plus what the site's moderators taught it. */
  async forSite(siteId: string): Promise<C> {
    this.current ??= this.build();
    const classifiers = await this.current;
    return classifiers.bySite.get(siteId) ?? classifiers.base;
  }

  /** Rebuilds from the model and every stored lesson. */
  async refresh(): Promise<void> {
    const next = this.build();
    await next;
    this.current = next;
  }

  private async build(): Promise<{ base: C; bySite: Map<string, C> }> {
    try {
      this.rebuilds++;
      const perSite = new Map<string, R[]>();
      for (const row of await this.source.lessons()) {
        if (row.siteId === null) continue; // a lesson of no known site applies nowhere
        const list = perSite.get(row.siteId) ?? [];
        list.push(row);
        perSite.set(row.siteId, list);
      }
      const bySite = new Map<string, C>();
      for (const [siteId, lessons] of perSite) bySite.set(siteId, this.source.withLessons(lessons));
      return { base: this.source.base(), bySite };
    } catch (error) {
      this.source.onError(error);
      this.current = undefined;
      throw error;
    }
  }
}
