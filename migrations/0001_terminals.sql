CREATE TABLE `terminals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sip_user` text NOT NULL,
	`name` text NOT NULL,
	`secret_sealed` text NOT NULL,
	`agent_id` integer,
	`codecs` text NOT NULL,
	`dtmf_mode` text DEFAULT 'rfc4733' NOT NULL,
	`behind_nat` integer DEFAULT true NOT NULL,
	`max_contacts` integer DEFAULT 1 NOT NULL,
	`webrtc` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `terminals_sip_user_unique` ON `terminals` (`sip_user`);--> statement-breakpoint
CREATE INDEX `terminals_agent_idx` ON `terminals` (`agent_id`);