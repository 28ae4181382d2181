import type { User } from '../../core/schema';
import type { Clock } from '../clock';
import type { AppConfig } from '../config';
import type { Store } from '../store/store';

export interface AppDeps {
  store: Store;
  clock: Clock;
  config: AppConfig;
}

/** Hono's typed context: dependencies for every request, the caller once authenticated. */
export interface AppEnv {
  Variables: {
    deps: AppDeps;
    user: User;
    tokenId: string;
  };
}
