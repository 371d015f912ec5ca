// The process harness lives with the soak script (npm run soak), which uses it too.
export * from '../../scripts/soak/instances.ts';
