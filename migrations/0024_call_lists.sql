CREATE TABLE `call_list_customers` (
	`customer_id` integer PRIMARY KEY NOT NULL,
	`claimed_at` integer,
	`claimed_by` integer,
	`claimed_from_list` integer,
	`result_pending` integer DEFAULT false NOT NULL,
	`final_status` text,
	`last_result_at` integer,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`claimed_by`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`claimed_from_list`) REFERENCES `call_lists`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `call_list_customers_unclaimed_idx` ON `call_list_customers` (`customer_id`) WHERE "call_list_customers"."claimed_at" IS NULL;--> statement-breakpoint
CREATE INDEX `call_list_customers_pending_idx` ON `call_list_customers` (`claimed_by`) WHERE "call_list_customers"."result_pending" = 1;--> statement-breakpoint
CREATE TABLE `call_list_groups` (
	`list_id` integer NOT NULL,
	`group_id` integer NOT NULL,
	PRIMARY KEY(`list_id`, `group_id`),
	FOREIGN KEY (`list_id`) REFERENCES `call_lists`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `call_list_groups_group_idx` ON `call_list_groups` (`group_id`);--> statement-breakpoint
CREATE TABLE `call_list_members` (
	`list_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`position` integer NOT NULL,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`list_id`, `customer_id`),
	FOREIGN KEY (`list_id`) REFERENCES `call_lists`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `call_list_members_order_idx` ON `call_list_members` (`list_id`,`position`);--> statement-breakpoint
CREATE INDEX `call_list_members_customer_idx` ON `call_list_members` (`customer_id`);--> statement-breakpoint
CREATE TABLE `call_list_results` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`customer_id` integer NOT NULL,
	`list_id` integer,
	`agent_id` integer,
	`agent_label` text NOT NULL,
	`result` text NOT NULL,
	`prospect` integer NOT NULL,
	`recall` integer NOT NULL,
	`final_status` text NOT NULL,
	`called` integer NOT NULL,
	`memo` text DEFAULT '' NOT NULL,
	`called_at` integer,
	`uploaded_at` integer NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`list_id`) REFERENCES `call_lists`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `call_list_results_customer_idx` ON `call_list_results` (`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `call_list_results_list_idx` ON `call_list_results` (`list_id`);--> statement-breakpoint
CREATE INDEX `call_list_results_agent_idx` ON `call_list_results` (`agent_id`,`id`);--> statement-breakpoint
CREATE TABLE `call_list_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`ungrouped_to_all` integer DEFAULT true NOT NULL,
	`recreate_keeps_membership` integer DEFAULT false NOT NULL,
	`claim_size` integer DEFAULT 10 NOT NULL,
	`claim_order` text DEFAULT 'list_position' NOT NULL,
	`called_counts` text DEFAULT 'answered_only' NOT NULL,
	`auto_retrieve` integer DEFAULT true NOT NULL,
	`autocall_on_hangup` text DEFAULT 'no_answer_only' NOT NULL,
	`general_may_edit_customers` integer DEFAULT true NOT NULL,
	`general_may_export_customers` integer DEFAULT false NOT NULL,
	`general_may_edit_lists` integer DEFAULT false NOT NULL,
	`general_sees_all_customers` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `call_lists` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`distribute` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`deleted_by` text,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `call_lists_live_idx` ON `call_lists` (`deleted_at`,`id`);--> statement-breakpoint
-- The call-list permissions go to the built-in roles of a database made before them, as
-- defaultPermissions gives them to new ones (data initialisation to administrators only).
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'call_lists.view')
WHERE `built_in` IN ('system_admin', 'supervisor')
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'call_lists.view');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'call_lists.update')
WHERE `built_in` IN ('system_admin', 'supervisor')
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'call_lists.update');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'call_lists.delete')
WHERE `built_in` IN ('system_admin', 'supervisor')
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'call_lists.delete');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'call_list_customers.view')
WHERE `built_in` IN ('system_admin', 'supervisor')
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'call_list_customers.view');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'call_list_customers.download')
WHERE `built_in` IN ('system_admin', 'supervisor')
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'call_list_customers.download');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'call_list_settings.view')
WHERE `built_in` IN ('system_admin', 'supervisor')
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'call_list_settings.view');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'call_list_settings.update')
WHERE `built_in` IN ('system_admin', 'supervisor')
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'call_list_settings.update');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'call_list_operator.claim')
WHERE `built_in` IN ('system_admin', 'supervisor', 'agent')
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'call_list_operator.claim');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'call_list_operator.upload')
WHERE `built_in` IN ('system_admin', 'supervisor', 'agent')
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'call_list_operator.upload');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'call_list_data.initialise')
WHERE `built_in` IN ('system_admin')
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'call_list_data.initialise');
