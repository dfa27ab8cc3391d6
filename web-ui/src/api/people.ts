import { apiRequest } from './client';
import type { Invited, Person, PersonInvitation, ProviderSummary, Role } from './types';

export function fetchPeople(signal?: AbortSignal): Promise<Person[]> {
  return apiRequest<Person[]>('/api/people', { signal });
}

export function invitePerson(invitation: PersonInvitation): Promise<Invited> {
  return apiRequest<Invited>('/api/people', { method: 'POST', body: invitation });
}

export function changeAccess(
  id: string,
  access: { role: Role; groupId?: string; practiceId?: string },
): Promise<Person> {
  return apiRequest<Person>(`/api/people/${encodeURIComponent(id)}/access`, { method: 'PUT', body: access });
}

export function setPersonEnabled(id: string, enabled: boolean): Promise<Person> {
  return apiRequest<Person>(`/api/people/${encodeURIComponent(id)}/${enabled ? 'enable' : 'disable'}`, {
    method: 'POST',
  });
}

export function removePerson(id: string): Promise<void> {
  return apiRequest<void>(`/api/people/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function resendInvitation(id: string): Promise<Person> {
  return apiRequest<Person>(`/api/people/${encodeURIComponent(id)}/invitation`, { method: 'POST' });
}

export function fetchProviders(signal?: AbortSignal): Promise<ProviderSummary[]> {
  return apiRequest<ProviderSummary[]>('/api/operator/providers', { signal });
}

export function createProvider(name: string): Promise<ProviderSummary> {
  return apiRequest<ProviderSummary>('/api/operator/providers', { method: 'POST', body: { name } });
}

export function renameProvider(id: string, name: string): Promise<ProviderSummary> {
  return apiRequest<ProviderSummary>(`/api/operator/providers/${encodeURIComponent(id)}`, {
    method: 'PUT',
    body: { name },
  });
}

export function fetchProviderAdmins(id: string, signal?: AbortSignal): Promise<Person[]> {
  return apiRequest<Person[]>(`/api/operator/providers/${encodeURIComponent(id)}/admins`, { signal });
}

export function inviteProviderAdmin(
  id: string,
  admin: { email: string; firstName: string; lastName: string },
): Promise<Invited> {
  return apiRequest<Invited>(`/api/operator/providers/${encodeURIComponent(id)}/admins`, {
    method: 'POST',
    body: admin,
  });
}
