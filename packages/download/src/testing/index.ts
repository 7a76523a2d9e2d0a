export {
  type FixtureRequest,
  type FixtureRoute,
  type FixtureServer,
  refusedUrl,
  startFixtureServer,
} from './fixture-server.js';
