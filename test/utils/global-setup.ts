/**
 * Runs once per `npm test`: gives the run its own id, from which every test file derives a
 * throwaway database name and a Redis key prefix, so parallel runs never collide.
 */
export default function globalSetup(): void {
  const runId = `t${Date.now().toString(36)}${process.pid.toString(36)}`;
  process.env.TEST_RUN_ID = runId;
}
