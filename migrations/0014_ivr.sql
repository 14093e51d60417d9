CREATE TABLE `holiday_calendars` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`dates` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `holiday_calendars_name_unique` ON `holiday_calendars` (`name`);--> statement-breakpoint
CREATE TABLE `ivr_keys` (
	`ivr_id` integer NOT NULL,
	`key` text NOT NULL,
	`route_type` text NOT NULL,
	`route_target` text NOT NULL,
	PRIMARY KEY(`ivr_id`, `key`),
	FOREIGN KEY (`ivr_id`) REFERENCES `ivrs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `ivr_keys_route` ON `ivr_keys` (`route_type`,`route_target`);--> statement-breakpoint
CREATE TABLE `ivr_rules` (
	`ivr_id` integer NOT NULL,
	`position` integer NOT NULL,
	`from_time` text NOT NULL,
	`to_time` text NOT NULL,
	`weekdays` text NOT NULL,
	`specified_dates` integer DEFAULT false NOT NULL,
	`route_type` text NOT NULL,
	`route_target` text NOT NULL,
	PRIMARY KEY(`ivr_id`, `position`),
	FOREIGN KEY (`ivr_id`) REFERENCES `ivrs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `ivrs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`default_route_type` text,
	`default_route_target` text,
	`schedule_enabled` integer DEFAULT false NOT NULL,
	`specified_dates` text NOT NULL,
	`holiday_calendar_id` integer,
	`buttons_enabled` integer DEFAULT false NOT NULL,
	`menu_audio_file_id` integer,
	`no_input_seconds` integer DEFAULT 5 NOT NULL,
	`menu_attempts` integer DEFAULT 3 NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`holiday_calendar_id`) REFERENCES `holiday_calendars`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`menu_audio_file_id`) REFERENCES `audio_files`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ivrs_name_unique` ON `ivrs` (`name`);--> statement-breakpoint
ALTER TABLE `call_history` ADD `ivr_path` text;--> statement-breakpoint
ALTER TABLE `call_history` ADD `voicemail_id` integer;--> statement-breakpoint
ALTER TABLE `phone_numbers` ADD `language` text DEFAULT 'ja' NOT NULL;