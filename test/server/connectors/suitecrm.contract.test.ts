import { suiteTarget } from '../../support/crm-fakes/suitecrm/target';
import { connectorContract } from './contract';

// SuiteCRM 7.10+ and 8 pass the shared connector contract through both of their APIs.
connectorContract(suiteTarget('v8'));
connectorContract(suiteTarget('legacy'));
