/**
 * MOT's 一般 as the server reads it (src/call-lists/general-role.ts): a user who retrieves
 * customers and does not administer the call lists. The screens hide what such a user is
 * refused whatever the switches grant (リスト再作成, the 担当者).
 */
export const isGeneralUser = (can: (permission: string) => boolean): boolean =>
  can('call_list_operator.claim') && !can('call_list_settings.update');
