CREATE TABLE `queue_open_answers` (
	`log_id` integer PRIMARY KEY NOT NULL,
	`call_id` text NOT NULL,
	`group_id` integer NOT NULL,
	`slot` integer NOT NULL,
	`at` integer NOT NULL,
	`wait` real NOT NULL,
	`within` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `queue_open_answers_call_idx` ON `queue_open_answers` (`call_id`);--> statement-breakpoint
CREATE INDEX `queue_open_answers_slot_idx` ON `queue_open_answers` (`group_id`,`slot`);--> statement-breakpoint
CREATE TABLE `queue_rollup_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`last_log_id` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `queue_stats_agents` (
	`group_id` integer NOT NULL,
	`slot` integer NOT NULL,
	`agent_id` integer NOT NULL,
	`calls` integer DEFAULT 0 NOT NULL,
	`answered` integer DEFAULT 0 NOT NULL,
	`abandoned` integer DEFAULT 0 NOT NULL,
	`overflow` integer DEFAULT 0 NOT NULL,
	`timed_out` integer DEFAULT 0 NOT NULL,
	`answered_within` integer DEFAULT 0 NOT NULL,
	`answer_wait_total` real DEFAULT 0 NOT NULL,
	`answer_wait_max` real DEFAULT 0 NOT NULL,
	`abandon_wait_total` real DEFAULT 0 NOT NULL,
	`abandon_wait_max` real DEFAULT 0 NOT NULL,
	PRIMARY KEY(`group_id`, `slot`, `agent_id`)
);
--> statement-breakpoint
CREATE INDEX `queue_stats_agents_slot_idx` ON `queue_stats_agents` (`slot`);--> statement-breakpoint
CREATE TABLE `queue_stats_slots` (
	`group_id` integer NOT NULL,
	`slot` integer NOT NULL,
	`calls` integer DEFAULT 0 NOT NULL,
	`answered` integer DEFAULT 0 NOT NULL,
	`abandoned` integer DEFAULT 0 NOT NULL,
	`overflow` integer DEFAULT 0 NOT NULL,
	`timed_out` integer DEFAULT 0 NOT NULL,
	`answered_within` integer DEFAULT 0 NOT NULL,
	`answer_wait_total` real DEFAULT 0 NOT NULL,
	`answer_wait_max` real DEFAULT 0 NOT NULL,
	`abandon_wait_total` real DEFAULT 0 NOT NULL,
	`abandon_wait_max` real DEFAULT 0 NOT NULL,
	PRIMARY KEY(`group_id`, `slot`)
);
--> statement-breakpoint
CREATE INDEX `queue_stats_slots_slot_idx` ON `queue_stats_slots` (`slot`);--> statement-breakpoint
CREATE TABLE `queue_stats_talk` (
	`group_id` integer NOT NULL,
	`slot` integer NOT NULL,
	`band` integer NOT NULL,
	`calls` integer DEFAULT 0 NOT NULL,
	`answered` integer DEFAULT 0 NOT NULL,
	`abandoned` integer DEFAULT 0 NOT NULL,
	`overflow` integer DEFAULT 0 NOT NULL,
	`timed_out` integer DEFAULT 0 NOT NULL,
	`answered_within` integer DEFAULT 0 NOT NULL,
	`answer_wait_total` real DEFAULT 0 NOT NULL,
	`answer_wait_max` real DEFAULT 0 NOT NULL,
	`abandon_wait_total` real DEFAULT 0 NOT NULL,
	`abandon_wait_max` real DEFAULT 0 NOT NULL,
	PRIMARY KEY(`group_id`, `slot`, `band`)
);
--> statement-breakpoint
CREATE INDEX `queue_stats_talk_slot_idx` ON `queue_stats_talk` (`slot`);--> statement-breakpoint
CREATE INDEX `agent_status_log_started_idx` ON `agent_status_log` (`started_at`);--> statement-breakpoint
CREATE INDEX `call_history_callee_idx` ON `call_history` (`callee_agent_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `call_history_group_idx` ON `call_history` (`group_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `call_history_from_idx` ON `call_history` (`from_number`,`started_at`);--> statement-breakpoint
CREATE INDEX `call_history_to_idx` ON `call_history` (`to_number`,`started_at`);