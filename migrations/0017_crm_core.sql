CREATE TABLE `custom_fields` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`category` text NOT NULL,
	`type` text NOT NULL,
	`options` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `custom_fields_name_unique` ON `custom_fields` (`category`,`name`);--> statement-breakpoint
CREATE TABLE `crm_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`allow_duplicate_phones` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `customer_phones` (
	`customer_id` integer NOT NULL,
	`position` integer NOT NULL,
	`field_id` integer,
	`digits` text NOT NULL,
	`live` integer DEFAULT true NOT NULL,
	PRIMARY KEY(`customer_id`, `position`),
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`field_id`) REFERENCES `business_format_fields`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `customer_phones_digits_idx` ON `customer_phones` (`digits`,`live`);--> statement-breakpoint
CREATE TABLE `customer_tags` (
	`customer_id` integer NOT NULL,
	`tag_id` integer NOT NULL,
	PRIMARY KEY(`customer_id`, `tag_id`),
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `customer_tags_tag_idx` ON `customer_tags` (`tag_id`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`format_id` integer NOT NULL,
	`code` text,
	`name` text NOT NULL,
	`email` text DEFAULT '' NOT NULL,
	`remarks` text DEFAULT '' NOT NULL,
	`fields` text NOT NULL,
	`custom` text NOT NULL,
	`deleted_at` integer,
	`deleted_by` text,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`format_id`) REFERENCES `business_formats`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `customers_code_idx` ON `customers` (`code`) WHERE "customers"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `customers_format_idx` ON `customers` (`format_id`,`id`);--> statement-breakpoint
CREATE INDEX `customers_updated_idx` ON `customers` (`updated_at`);--> statement-breakpoint
CREATE TABLE `business_format_agents` (
	`format_id` integer NOT NULL,
	`agent_id` integer NOT NULL,
	PRIMARY KEY(`format_id`, `agent_id`),
	FOREIGN KEY (`format_id`) REFERENCES `business_formats`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `business_format_agents_agent_idx` ON `business_format_agents` (`agent_id`);--> statement-breakpoint
CREATE TABLE `business_format_fields` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`format_id` integer NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`required` integer DEFAULT false NOT NULL,
	`side` text DEFAULT 'left' NOT NULL,
	`options` text NOT NULL,
	`postal_autofill` integer DEFAULT false NOT NULL,
	`postal_prefecture_field_id` integer,
	`postal_city_field_id` integer,
	`postal_street_field_id` integer,
	`postal_other_field_id` integer,
	FOREIGN KEY (`format_id`) REFERENCES `business_formats`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`postal_prefecture_field_id`) REFERENCES `business_format_fields`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`postal_city_field_id`) REFERENCES `business_format_fields`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`postal_street_field_id`) REFERENCES `business_format_fields`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`postal_other_field_id`) REFERENCES `business_format_fields`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `business_format_fields_name_unique` ON `business_format_fields` (`format_id`,`name`);--> statement-breakpoint
CREATE INDEX `business_format_fields_format_idx` ON `business_format_fields` (`format_id`,`position`);--> statement-breakpoint
CREATE TABLE `business_formats` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`built_in` text,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `business_formats_name_unique` ON `business_formats` (`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `business_formats_built_in_unique` ON `business_formats` (`built_in`);--> statement-breakpoint
CREATE TABLE `tags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`details` text DEFAULT '' NOT NULL,
	`font_color` text DEFAULT '#ffffff' NOT NULL,
	`background_color` text DEFAULT '#0505fc' NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tags_name_unique` ON `tags` (`name`);