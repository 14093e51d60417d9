ALTER TABLE `agents` ADD `popup_on_incoming` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `agents` ADD `popup_on_answer` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `agents` ADD `popup_window` text DEFAULT 'same_tab' NOT NULL;--> statement-breakpoint
ALTER TABLE `agents` ADD `notify_external_calls` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `agents` ADD `notify_internal_calls` integer DEFAULT false NOT NULL;