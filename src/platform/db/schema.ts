/**
 * Every domain's tables, gathered for Drizzle's typed client. Each domain owns its schema.ts;
 * this file only lists them (and drizzle-kit reads the same files to generate migrations).
 */
export * from '../../accounts/schema.js';
export * from '../../terminals/schema.js';
export * from '../../agents/schema.js';
export * from '../../trunks/schema.js';
export * from '../../numbers/schema.js';
export * from '../../calls/schema.js';
export * from '../../queues/schema.js';
export * from '../../chat/schema.js';
export * from '../../seat-layouts/schema.js';
export * from '../../audio/schema.js';
export * from '../../prompts/schema.js';
export * from '../../ivr/schema.js';
export * from '../../voicemail/schema.js';
export * from '../../mail/schema.js';
export * from '../../crm/tags/schema.js';
export * from '../../crm/formats/schema.js';
export * from '../../crm/custom-fields/schema.js';
export * from '../../crm/customers/schema.js';
export * from '../../crm/faqs/schema.js';
export * from '../../target-lists/schema.js';
export * from '../../crm/case-statuses/schema.js';
export * from '../../crm/workflows/schema.js';
export * from '../../crm/cases/schema.js';
export * from '../../imports/schema.js';
export * from '../../call-lists/schema.js';
export * from '../../campaigns/schema.js';
