CREATE TABLE `campaign_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`entry_id` integer,
	`call_id` text NOT NULL,
	`mode` text NOT NULL,
	`phone` text NOT NULL,
	`started_at` integer NOT NULL,
	`answered_at` integer,
	`connected_at` integer,
	`ended_at` integer,
	`outcome` text,
	`agent_id` integer,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`entry_id`) REFERENCES `campaign_entries`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `campaign_attempts_campaign_idx` ON `campaign_attempts` (`campaign_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `campaign_attempts_entry_idx` ON `campaign_attempts` (`entry_id`);--> statement-breakpoint
CREATE TABLE `campaign_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`customer_id` integer,
	`phone` text NOT NULL,
	`result` text DEFAULT 'waiting' NOT NULL,
	`call_count` integer DEFAULT 0 NOT NULL,
	`last_dialed_at` integer,
	`last_agent_id` integer,
	`reserved_at` integer,
	`assignee_id` integer,
	`remarks` text DEFAULT '' NOT NULL,
	`phase` text DEFAULT 'idle' NOT NULL,
	`call_id` text,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`last_agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`assignee_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `campaign_entries_due_idx` ON `campaign_entries` (`campaign_id`,`result`,`phase`,`reserved_at`);--> statement-breakpoint
CREATE INDEX `campaign_entries_customer_idx` ON `campaign_entries` (`customer_id`);--> statement-breakpoint
CREATE INDEX `campaign_entries_assignee_idx` ON `campaign_entries` (`assignee_id`,`reserved_at`) WHERE "campaign_entries"."assignee_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `campaign_members` (
	`campaign_id` integer NOT NULL,
	`agent_id` integer NOT NULL,
	`paused` integer DEFAULT false NOT NULL,
	`paused_status_id` integer,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`campaign_id`, `agent_id`),
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`paused_status_id`) REFERENCES `agent_statuses`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `campaign_members_agent_idx` ON `campaign_members` (`agent_id`);--> statement-breakpoint
CREATE TABLE `campaign_results` (
	`campaign_id` integer NOT NULL,
	`number` integer NOT NULL,
	`text` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`campaign_id`, `number`),
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`enabled` integer DEFAULT false NOT NULL,
	`phone_number_id` integer,
	`withhold_caller_id` integer DEFAULT false NOT NULL,
	`type` text DEFAULT 'preview' NOT NULL,
	`predictive` integer DEFAULT false NOT NULL,
	`agent_mode` text DEFAULT 'ringing' NOT NULL,
	`service_level_percent` integer DEFAULT 100 NOT NULL,
	`dial_ratio` real DEFAULT 1 NOT NULL,
	`max_channels` integer DEFAULT 1 NOT NULL,
	`dial_timeout_seconds` integer DEFAULT 180 NOT NULL,
	`agent_ring_seconds` integer DEFAULT 20 NOT NULL,
	`hold_audio_file_id` integer,
	`abandon_audio_file_id` integer,
	`abandon_target_percent` real DEFAULT 3 NOT NULL,
	`predictive_min_agents` integer DEFAULT 6 NOT NULL,
	`detect_machines` integer DEFAULT false NOT NULL,
	`acw_status_id` integer,
	`acw_seconds` integer DEFAULT 0 NOT NULL,
	`dtmf_results` integer DEFAULT false NOT NULL,
	`window_from` text DEFAULT '00:00' NOT NULL,
	`window_to` text DEFAULT '23:59' NOT NULL,
	`text_color` text DEFAULT '#000000' NOT NULL,
	`background_color` text DEFAULT '#ffffff' NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`phone_number_id`) REFERENCES `phone_numbers`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`hold_audio_file_id`) REFERENCES `audio_files`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`abandon_audio_file_id`) REFERENCES `audio_files`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`acw_status_id`) REFERENCES `agent_statuses`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaigns_name_unique` ON `campaigns` (`name`);