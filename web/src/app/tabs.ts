/** The tab menu of §2 ②, each shown to the roles with its `tab_menu` permission (§11-13). */
import type { Words } from '../i18n';

export type Tab = 'desk' | 'crm' | 'supervisor' | 'history' | 'admin' | 'personal';

export const TABS: { tab: Tab; title: keyof Words; permission: string }[] = [
  { tab: 'desk', title: 'tabDesk', permission: 'tab_menu.crm' },
  { tab: 'crm', title: 'tabCrm', permission: 'tab_menu.crm' },
  { tab: 'supervisor', title: 'tabSupervisor', permission: 'tab_menu.sv' },
  { tab: 'history', title: 'tabHistory', permission: 'tab_menu.call_history' },
  { tab: 'admin', title: 'tabAdmin', permission: 'tab_menu.admin' },
  { tab: 'personal', title: 'tabPersonal', permission: 'tab_menu.personal' },
];
