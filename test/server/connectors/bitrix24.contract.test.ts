import { bitrix24Target } from '../../support/crm-fakes/bitrix24/target';
import { connectorContract } from './contract';

// Bitrix24 passes the shared connector contract through an inbound webhook and through an OAuth app's rotating token.
connectorContract(bitrix24Target('webhook'));
connectorContract(bitrix24Target('oauth'));
