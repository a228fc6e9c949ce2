import { DefaultLogger, Runtime } from '@temporalio/worker';

// Workers created directly in tests log through the SDK's runtime: keep only warnings.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // installed already in this process
}
