import { amoTarget } from '../../support/crm-fakes/amocrm/target';
import { connectorContract } from './contract';

// amoCRM / Kommo passes the shared connector contract through API v4 with a long-lived token.
connectorContract(amoTarget());
