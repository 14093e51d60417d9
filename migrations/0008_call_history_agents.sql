CREATE TABLE `call_history_agents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`call_id` text NOT NULL,
	`agent_id` integer,
	`at` integer NOT NULL,
	`via` text NOT NULL,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `call_history_agents_call_idx` ON `call_history_agents` (`call_id`,`id`);--> statement-breakpoint
CREATE INDEX `call_history_agents_agent_idx` ON `call_history_agents` (`agent_id`,`at`);