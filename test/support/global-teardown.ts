import type { TestServices } from './services';

export default async function globalTeardown(): Promise<void> {
  const services = (globalThis as { __services?: TestServices }).__services;
  if (services) await services.stop();
}
