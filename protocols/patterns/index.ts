// Client-side resilience patterns (retry with backoff and jitter, per-attempt timeouts, circuit
// breaker, bulkhead) as plain JSON state and pure functions, for Raft clients and the saga
// orchestrator. Leaves out: composing them; a caller typically asks the bulkhead, then the breaker,
// arms an attempt deadline, and on failure reports to the breaker and asks retry for the next time.
export * from './timeout.ts';
export * from './retry.ts';
export * from './circuitBreakerConfig.ts';
export * from './circuitBreaker.ts';
export * from './bulkhead.ts';
