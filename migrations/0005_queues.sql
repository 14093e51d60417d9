CREATE TABLE `group_members` (
	`group_id` integer NOT NULL,
	`agent_id` integer NOT NULL,
	`skill_level` integer DEFAULT 1 NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`paused` integer DEFAULT false NOT NULL,
	`paused_status_id` integer,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`group_id`, `agent_id`),
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`paused_status_id`) REFERENCES `agent_statuses`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `group_members_agent_idx` ON `group_members` (`agent_id`);--> statement-breakpoint
CREATE TABLE `groups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`extension` text,
	`strategy` text DEFAULT 'ring_all' NOT NULL,
	`max_answered` integer DEFAULT 99 NOT NULL,
	`max_waiting` integer DEFAULT 99 NOT NULL,
	`overflow_route_type` text,
	`overflow_route_target` text,
	`timeout_seconds` integer DEFAULT 300 NOT NULL,
	`timeout_route_type` text,
	`timeout_route_target` text,
	`ring_seconds` integer DEFAULT 20 NOT NULL,
	`retry_seconds` integer DEFAULT 5 NOT NULL,
	`ring_before_queue_seconds` integer DEFAULT 0 NOT NULL,
	`auto_pause` integer DEFAULT false NOT NULL,
	`auto_pause_seconds` integer DEFAULT 0 NOT NULL,
	`acw_status_id` integer,
	`acw_seconds` integer DEFAULT 0 NOT NULL,
	`greeting` text,
	`announcement` text,
	`announcement_seconds` integer DEFAULT 30 NOT NULL,
	`music_on_hold` text DEFAULT 'default' NOT NULL,
	`whisper` text,
	`display_name` text,
	`level_relaxation_seconds` integer DEFAULT 0 NOT NULL,
	`service_level_seconds` integer DEFAULT 20 NOT NULL,
	`font_color` text DEFAULT '#ffffff' NOT NULL,
	`background_color` text DEFAULT '#777777' NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`acw_status_id`) REFERENCES `agent_statuses`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `groups_name_unique` ON `groups` (`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `groups_extension_unique` ON `groups` (`extension`);--> statement-breakpoint
CREATE TABLE `queue_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`call_id` text NOT NULL,
	`group_id` integer,
	`agent_id` integer,
	`event` text NOT NULL,
	`data` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `queue_log_at_idx` ON `queue_log` (`at`);--> statement-breakpoint
CREATE INDEX `queue_log_group_idx` ON `queue_log` (`group_id`,`at`);--> statement-breakpoint
CREATE INDEX `queue_log_call_idx` ON `queue_log` (`call_id`);