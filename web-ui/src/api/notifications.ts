import { apiRequest } from './client';
import type { GroupNotificationSettings, ProviderNotificationSettings } from './types';

/* Notification settings of the provider and of each group (notificationKeys). */

export function fetchProviderNotificationSettings(signal?: AbortSignal): Promise<ProviderNotificationSettings> {
  return apiRequest<ProviderNotificationSettings>('/api/notification-settings', { signal });
}

export function saveProviderNotificationSettings(
  settings: ProviderNotificationSettings,
): Promise<ProviderNotificationSettings> {
  return apiRequest<ProviderNotificationSettings>('/api/notification-settings', { method: 'PUT', body: settings });
}

export function fetchGroupNotificationSettings(
  groupId: string,
  signal?: AbortSignal,
): Promise<GroupNotificationSettings> {
  return apiRequest<GroupNotificationSettings>(`/api/groups/${encodeURIComponent(groupId)}/notification-settings`, {
    signal,
  });
}

export function saveGroupNotificationSettings(
  groupId: string,
  settings: GroupNotificationSettings,
): Promise<GroupNotificationSettings> {
  return apiRequest<GroupNotificationSettings>(`/api/groups/${encodeURIComponent(groupId)}/notification-settings`, {
    method: 'PUT',
    body: settings,
  });
}
