import type { AuditService } from '../audit/audit.service.js';
import { SiteNotFoundError } from '../common/errors/domain.errors.js';
import type { SiteEntity } from './site.entity.js';
import type { SitesRepository } from './sites.repository.js';
import { SitesService } from './sites.service.js';

const row = (id: string): SiteEntity => ({
  id,
  name: id,
  allowedOrigins: [],
  settings: {},
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

function service(known: string[]) {
  const reads: string[] = [];
  const repo = {
    findById: (id: string) => {
      reads.push(id);
      return Promise.resolve(known.includes(id) ? row(id) : null);
    },
  } as unknown as SitesRepository;
  return { sites: new SitesService(repo, {} as AuditService), reads };
}

describe('SitesService', () => {
  it('reads a site at most once per cache period', async () => {
    const { sites, reads } = service(['news']);
    await sites.get('news', 1_000);
    await sites.get('news', 2_000);
    expect(reads).toEqual(['news']);
    await sites.get('news', 6_001);
    expect(reads).toEqual(['news', 'news']);
  });

  it('remembers unknown sites too, so made-up ids do not each reach the database', async () => {
    const { sites, reads } = service([]);
    await expect(sites.get('nope', 1_000)).rejects.toBeInstanceOf(SiteNotFoundError);
    await expect(sites.get('nope', 2_000)).rejects.toBeInstanceOf(SiteNotFoundError);
    expect(await sites.getCached('nope', 3_000)).toBeNull();
    expect(reads).toEqual(['nope']);
  });
});
