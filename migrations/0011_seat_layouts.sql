CREATE TABLE `seat_layout_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`layout_id` integer NOT NULL,
	`position` integer NOT NULL,
	`kind` text NOT NULL,
	`terminal_id` integer,
	`x` integer NOT NULL,
	`y` integer NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`rotation` integer DEFAULT 0 NOT NULL,
	`label` text,
	FOREIGN KEY (`layout_id`) REFERENCES `seat_layouts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`terminal_id`) REFERENCES `terminals`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `seat_layout_items_layout_idx` ON `seat_layout_items` (`layout_id`,`position`);--> statement-breakpoint
CREATE UNIQUE INDEX `seat_layout_items_terminal_unique` ON `seat_layout_items` (`layout_id`,`terminal_id`);--> statement-breakpoint
CREATE INDEX `seat_layout_items_terminal_idx` ON `seat_layout_items` (`terminal_id`);--> statement-breakpoint
CREATE TABLE `seat_layouts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`group_id` integer,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `seat_layouts_name_unique` ON `seat_layouts` (`name`);