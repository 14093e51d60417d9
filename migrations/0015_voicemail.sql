CREATE TABLE `voicemail_audio` (
	`voicemail_id` integer PRIMARY KEY NOT NULL,
	`wav` blob NOT NULL,
	FOREIGN KEY (`voicemail_id`) REFERENCES `voicemails`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `voicemails` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`call_id` text NOT NULL,
	`received_at` integer NOT NULL,
	`from_number` text NOT NULL,
	`from_name` text DEFAULT '' NOT NULL,
	`to_number` text DEFAULT '' NOT NULL,
	`audio_file_id` integer,
	`audio_file_name` text NOT NULL,
	`seconds` real NOT NULL,
	`mail_status` text DEFAULT 'none' NOT NULL,
	`mail_id` integer,
	`mail_to` text,
	FOREIGN KEY (`audio_file_id`) REFERENCES `audio_files`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `voicemails_received` ON `voicemails` (`received_at`);--> statement-breakpoint
CREATE INDEX `voicemails_mail` ON `voicemails` (`mail_id`);