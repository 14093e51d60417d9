CREATE TABLE `agent_caller_ids` (
	`agent_id` integer PRIMARY KEY NOT NULL,
	`phone_number_id` integer,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`phone_number_id`) REFERENCES `phone_numbers`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `blocked_numbers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`number` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `blocked_numbers_number_unique` ON `blocked_numbers` (`number`);--> statement-breakpoint
CREATE TABLE `external_transfers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`number` text NOT NULL,
	`caller_number` text,
	`use_called_number` integer DEFAULT false NOT NULL,
	`extension` text,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `external_transfers_extension_unique` ON `external_transfers` (`extension`);--> statement-breakpoint
CREATE TABLE `outbound_restrictions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`number` text NOT NULL,
	`caller_number` text,
	`note` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `outbound_restrictions_number_idx` ON `outbound_restrictions` (`number`);--> statement-breakpoint
CREATE TABLE `phone_number_agents` (
	`phone_number_id` integer NOT NULL,
	`agent_id` integer NOT NULL,
	PRIMARY KEY(`phone_number_id`, `agent_id`),
	FOREIGN KEY (`phone_number_id`) REFERENCES `phone_numbers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `phone_numbers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`number` text NOT NULL,
	`name` text NOT NULL,
	`prefix` text,
	`route_type` text,
	`route_target` text,
	`max_channels` integer DEFAULT 0 NOT NULL,
	`incoming_popup_url` text,
	`answer_popup_url` text,
	`display` text DEFAULT 'number_name' NOT NULL,
	`incoming_message` text,
	`outgoing_message` text,
	`trunk_id` integer,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`trunk_id`) REFERENCES `trunks`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `phone_numbers_number_unique` ON `phone_numbers` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `phone_numbers_prefix_unique` ON `phone_numbers` (`prefix`);--> statement-breakpoint
CREATE TABLE `trunks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`host` text NOT NULL,
	`port` integer DEFAULT 5060 NOT NULL,
	`username` text,
	`secret_sealed` text,
	`register` integer DEFAULT false NOT NULL,
	`from_user` text,
	`from_domain` text,
	`match_addresses` text NOT NULL,
	`codecs` text NOT NULL,
	`dtmf_mode` text DEFAULT 'rfc4733' NOT NULL,
	`max_channels` integer DEFAULT 0 NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `trunks_name_unique` ON `trunks` (`name`);