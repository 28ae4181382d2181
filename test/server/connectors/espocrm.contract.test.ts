import { espoTarget } from '../../support/crm-fakes/espocrm/target';
import { connectorContract } from './contract';

// EspoCRM (REST API with an API user's key) passes the shared connector contract.
connectorContract(espoTarget());
