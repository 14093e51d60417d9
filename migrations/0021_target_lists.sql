CREATE TABLE `target_contacts` (
	`customer_id` integer PRIMARY KEY NOT NULL,
	`assignee_id` integer,
	`categories` text NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assignee_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `target_contacts_assignee_idx` ON `target_contacts` (`assignee_id`);--> statement-breakpoint
CREATE TABLE `target_list_entries` (
	`list_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`position` integer NOT NULL,
	`excluded` integer DEFAULT false NOT NULL,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`list_id`, `customer_id`),
	FOREIGN KEY (`list_id`) REFERENCES `target_lists`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `target_list_entries_order_idx` ON `target_list_entries` (`list_id`,`position`);--> statement-breakpoint
CREATE INDEX `target_list_entries_customer_idx` ON `target_list_entries` (`customer_id`);--> statement-breakpoint
CREATE TABLE `target_lists` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);--> statement-breakpoint
-- The call-target list permissions go to the built-in roles of a database made before them, as
-- defaultPermissions gives them to new ones: all three to administrators and supervisors, view to agents.
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'target_lists.view')
WHERE `built_in` IN ('system_admin', 'supervisor', 'agent')
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'target_lists.view');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'target_lists.update')
WHERE `built_in` IN ('system_admin', 'supervisor')
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'target_lists.update');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'target_lists.delete')
WHERE `built_in` IN ('system_admin', 'supervisor')
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'target_lists.delete');
