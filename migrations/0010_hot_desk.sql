ALTER TABLE `terminals` ADD `hot_desk_agent_id` integer REFERENCES agents(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `terminals` ADD `hot_desk_since` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `terminals_hot_desk_agent_unique` ON `terminals` (`hot_desk_agent_id`);