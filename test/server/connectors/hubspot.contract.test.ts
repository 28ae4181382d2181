import { hubSpotTarget } from '../../support/crm-fakes/hubspot/target';
import { connectorContract } from './contract';

// HubSpot (a private app's token, CRM API v3) passes the shared connector contract.
connectorContract(hubSpotTarget());
