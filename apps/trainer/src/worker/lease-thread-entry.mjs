// A worker thread starts without the main thread's module hooks: register tsx, then load the
// TypeScript thread body.
import { register } from 'tsx/esm/api';

register();
await import('./lease-thread.ts');
