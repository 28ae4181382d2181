import { zohoTarget } from '../../support/crm-fakes/zoho/target';
import { connectorContract } from './contract';

// Zoho CRM (API v8, refresh token) passes the shared connector contract.
connectorContract(zohoTarget());
