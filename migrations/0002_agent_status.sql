CREATE TABLE `agent_selections` (
	`agent_id` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`custom_status_id` integer,
	`previous_kind` text NOT NULL,
	`previous_custom_status_id` integer,
	`until` integer,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`custom_status_id`) REFERENCES `agent_statuses`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`previous_custom_status_id`) REFERENCES `agent_statuses`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `agent_status_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`agent_id` integer NOT NULL,
	`status` text NOT NULL,
	`custom_status_id` integer,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`custom_status_id`) REFERENCES `agent_statuses`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `agent_status_log_agent_idx` ON `agent_status_log` (`agent_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `agent_status_log_open_idx` ON `agent_status_log` (`ended_at`);--> statement-breakpoint
CREATE TABLE `agent_statuses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`icon` text DEFAULT '' NOT NULL,
	`font_color` text DEFAULT '#ffffff' NOT NULL,
	`background_color` text DEFAULT '#777777' NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`on_login` integer DEFAULT false NOT NULL,
	`after_call` integer DEFAULT false NOT NULL,
	`after_call_seconds` integer DEFAULT 0 NOT NULL,
	`toggle` text DEFAULT 'none' NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agent_statuses_name_unique` ON `agent_statuses` (`name`);