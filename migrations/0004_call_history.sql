CREATE TABLE `call_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`call_id` text NOT NULL,
	`direction` text NOT NULL,
	`type` text NOT NULL,
	`from_number` text NOT NULL,
	`from_name` text DEFAULT '' NOT NULL,
	`to_number` text NOT NULL,
	`our_number` text,
	`phone_number_id` integer,
	`agent_id` integer,
	`callee_agent_id` integer,
	`group_id` integer,
	`started_at` integer NOT NULL,
	`answered_at` integer,
	`ended_at` integer,
	`talk_seconds` integer DEFAULT 0 NOT NULL,
	`end_reason` text,
	`hangup_cause` integer,
	`recording_name` text,
	FOREIGN KEY (`phone_number_id`) REFERENCES `phone_numbers`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`callee_agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `call_history_call_id_unique` ON `call_history` (`call_id`);--> statement-breakpoint
CREATE INDEX `call_history_started_idx` ON `call_history` (`started_at`);--> statement-breakpoint
CREATE INDEX `call_history_agent_idx` ON `call_history` (`agent_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `call_history_open_idx` ON `call_history` (`ended_at`);