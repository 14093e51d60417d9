CREATE TABLE `audio_file_contents` (
	`audio_file_id` integer PRIMARY KEY NOT NULL,
	`wav` blob NOT NULL,
	FOREIGN KEY (`audio_file_id`) REFERENCES `audio_files`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `audio_files` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`seconds` real NOT NULL,
	`bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`source` text NOT NULL,
	`changes` text NOT NULL,
	`voicemail` integer DEFAULT false NOT NULL,
	`notify_by_email` integer DEFAULT false NOT NULL,
	`notify_address` text,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audio_files_name_unique` ON `audio_files` (`name`);--> statement-breakpoint
CREATE TABLE `system_prompts` (
	`name` text NOT NULL,
	`language` text NOT NULL,
	`audio_file_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	PRIMARY KEY(`name`, `language`),
	FOREIGN KEY (`audio_file_id`) REFERENCES `audio_files`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `groups` ADD `greeting_audio_file_id` integer REFERENCES audio_files(id);--> statement-breakpoint
ALTER TABLE `groups` ADD `announcement_audio_file_id` integer REFERENCES audio_files(id);--> statement-breakpoint
ALTER TABLE `groups` ADD `whisper_audio_file_id` integer REFERENCES audio_files(id);