/** What the global setup started, for the teardown to stop. */
export interface TestServices {
  stop(): Promise<void>;
}
