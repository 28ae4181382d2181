import { dynamicsTarget } from '../../support/crm-fakes/dynamics365/target';
import { connectorContract } from './contract';

// Dynamics 365 (Dataverse Web API, client credentials on the Microsoft identity platform) passes the shared contract.
connectorContract(dynamicsTarget());
