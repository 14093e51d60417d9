CREATE TABLE `case_statuses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`built_in` text,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `case_statuses_built_in_unique` ON `case_statuses` (`built_in`);--> statement-breakpoint
CREATE UNIQUE INDEX `case_statuses_name_unique` ON `case_statuses` (`name`);--> statement-breakpoint
CREATE TABLE `case_tags` (
	`case_id` integer NOT NULL,
	`tag_id` integer NOT NULL,
	PRIMARY KEY(`case_id`, `tag_id`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `case_tags_tag_idx` ON `case_tags` (`tag_id`);--> statement-breakpoint
CREATE TABLE `cases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`status_id` integer NOT NULL,
	`customer_id` integer,
	`assignee_id` integer,
	`details` text DEFAULT '' NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`custom` text NOT NULL,
	`workflow_id` integer,
	`step_id` integer,
	`step_entered_at` integer,
	`deleted_at` integer,
	`deleted_by` text,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`status_id`) REFERENCES `case_statuses`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`assignee_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`workflow_id`) REFERENCES `workflows`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `cases_customer_idx` ON `cases` (`customer_id`);--> statement-breakpoint
CREATE INDEX `cases_assignee_idx` ON `cases` (`assignee_id`);--> statement-breakpoint
CREATE INDEX `cases_status_idx` ON `cases` (`status_id`);--> statement-breakpoint
CREATE INDEX `cases_workflow_idx` ON `cases` (`workflow_id`,`step_id`);--> statement-breakpoint
CREATE INDEX `cases_updated_idx` ON `cases` (`updated_at`);--> statement-breakpoint
CREATE INDEX `cases_live_idx` ON `cases` (`id`) WHERE "cases"."deleted_at" IS NULL;--> statement-breakpoint
CREATE TABLE `workflow_moves` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`workflow_id` integer NOT NULL,
	`from_step_id` integer,
	`from_step_name` text,
	`from_entered_at` integer,
	`button` integer,
	`button_label` text,
	`to_step_id` integer,
	`to_step_name` text,
	`at` integer NOT NULL,
	`by` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `workflow_moves_case_idx` ON `workflow_moves` (`case_id`,`id`);--> statement-breakpoint
CREATE INDEX `workflow_moves_stats_idx` ON `workflow_moves` (`workflow_id`,`at`);--> statement-breakpoint
CREATE TABLE `workflow_steps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workflow_id` integer NOT NULL,
	`name` text NOT NULL,
	`details` text DEFAULT '' NOT NULL,
	`audio_file_id` integer,
	`color` text NOT NULL,
	`buttons` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`workflow_id`) REFERENCES `workflows`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`audio_file_id`) REFERENCES `audio_files`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workflow_steps_name_unique` ON `workflow_steps` (`workflow_id`,`name`);--> statement-breakpoint
CREATE INDEX `workflow_steps_audio_idx` ON `workflow_steps` (`audio_file_id`);--> statement-breakpoint
CREATE TABLE `workflows` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`first_step_id` integer,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workflows_name_unique` ON `workflows` (`name`);--> statement-breakpoint
-- The new permissions (case statuses, workflows, their statistics) go to the built-in roles of a
-- database made before them, as defaultPermissions gives them to new ones.
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'case_statuses.view')
WHERE `built_in` = 'system_admin'
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'case_statuses.view');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'case_statuses.update')
WHERE `built_in` = 'system_admin'
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'case_statuses.update');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'case_statuses.delete')
WHERE `built_in` = 'system_admin'
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'case_statuses.delete');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'workflows.view')
WHERE `built_in` = 'system_admin'
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'workflows.view');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'workflows.update')
WHERE `built_in` = 'system_admin'
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'workflows.update');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'workflows.delete')
WHERE `built_in` = 'system_admin'
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'workflows.delete');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'workflow_stats.view')
WHERE `built_in` = 'system_admin'
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'workflow_stats.view');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'workflow_stats.download')
WHERE `built_in` = 'system_admin'
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'workflow_stats.download');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'case_statuses.view')
WHERE `built_in` = 'agent'
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'case_statuses.view');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'workflows.view')
WHERE `built_in` = 'agent'
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'workflows.view');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'case_statuses.view')
WHERE `built_in` = 'supervisor'
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'case_statuses.view');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'case_statuses.update')
WHERE `built_in` = 'supervisor'
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'case_statuses.update');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'case_statuses.delete')
WHERE `built_in` = 'supervisor'
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'case_statuses.delete');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'workflows.view')
WHERE `built_in` = 'supervisor'
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'workflows.view');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'workflows.update')
WHERE `built_in` = 'supervisor'
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'workflows.update');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'workflows.delete')
WHERE `built_in` = 'supervisor'
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'workflows.delete');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'workflow_stats.view')
WHERE `built_in` = 'supervisor'
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'workflow_stats.view');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'workflow_stats.download')
WHERE `built_in` = 'supervisor'
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'workflow_stats.download');
