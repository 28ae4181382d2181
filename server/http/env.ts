import type { User } from '../../core/schema';
import type { Clock } from '../clock';
import type { AppConfig } from '../config';
import type { SecretBox } from '../connectors/secret-box';
import type { Store } from '../store/store';

export interface AppDeps {
  store: Store;
  clock: Clock;
  config: AppConfig;
  /** Opens what is sealed with the server's key (a CRM's event-signing secret); absent where no key is set up. */
  box?: SecretBox;
}

/** Hono's typed context: dependencies for every request, the caller once authenticated. */
export interface AppEnv {
  Variables: {
    deps: AppDeps;
    user: User;
    tokenId: string;
  };
}
