CREATE TABLE `chat_message_links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` integer NOT NULL,
	`kind` text NOT NULL,
	`ref_id` integer NOT NULL,
	`start` integer NOT NULL,
	`end` integer NOT NULL,
	FOREIGN KEY (`message_id`) REFERENCES `chat_messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `chat_message_links_message_idx` ON `chat_message_links` (`message_id`,`start`);--> statement-breakpoint
CREATE INDEX `chat_message_links_ref_idx` ON `chat_message_links` (`kind`,`ref_id`);--> statement-breakpoint
CREATE TABLE `chat_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sent_at` integer NOT NULL,
	`sender_kind` text NOT NULL,
	`sender_agent_id` integer,
	`sender_api_key_id` integer,
	`sender_name` text NOT NULL,
	`audience` text NOT NULL,
	`to_agent_id` integer,
	`to_group_id` integer,
	`to_name` text DEFAULT '' NOT NULL,
	`body` text NOT NULL,
	`bold` integer DEFAULT false NOT NULL,
	`red` integer DEFAULT false NOT NULL,
	`alert` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`sender_agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`sender_api_key_id`) REFERENCES `api_keys`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`to_agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`to_group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `chat_messages_sent_idx` ON `chat_messages` (`sent_at`);--> statement-breakpoint
CREATE INDEX `chat_messages_to_agent_idx` ON `chat_messages` (`to_agent_id`,`sent_at`);--> statement-breakpoint
CREATE INDEX `chat_messages_to_group_idx` ON `chat_messages` (`to_group_id`,`sent_at`);--> statement-breakpoint
CREATE INDEX `chat_messages_sender_idx` ON `chat_messages` (`sender_agent_id`,`sent_at`);