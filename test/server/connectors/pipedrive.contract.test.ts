import { pipedriveTarget } from '../../support/crm-fakes/pipedrive/target';
import { connectorContract } from './contract';

// Pipedrive (a user's API token; deals through API v2, notes and users through v1) passes the shared contract.
connectorContract(pipedriveTarget());
