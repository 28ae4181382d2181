import { salesforceTarget } from '../../support/crm-fakes/salesforce/target';
import { connectorContract } from './contract';

// Salesforce (REST API, client-credentials flow) passes the shared connector contract.
connectorContract(salesforceTarget());
