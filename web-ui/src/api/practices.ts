import { apiRequest } from './client';
import type { Contact, PlanReview, PolicyException, PracticeCompliance, PracticeDetail } from './types';

/* One practice's page: its detail, compliance, contacts, exceptions and backup plan reviews (practiceKeys). */

export function fetchPractice(id: string, signal?: AbortSignal): Promise<PracticeDetail> {
  return apiRequest<PracticeDetail>(`/api/practices/${encodeURIComponent(id)}`, { signal });
}

export function fetchPracticeCompliance(id: string, signal?: AbortSignal): Promise<PracticeCompliance> {
  return apiRequest<PracticeCompliance>(`/api/practices/${encodeURIComponent(id)}/compliance`, { signal });
}

export function fetchPracticeContacts(id: string, signal?: AbortSignal): Promise<Contact[]> {
  return apiRequest<Contact[]>(`/api/practices/${encodeURIComponent(id)}/contacts`, { signal });
}

export function addContact(
  practiceId: string,
  contact: { name: string; email: string; role: string },
): Promise<Contact> {
  return apiRequest<Contact>(`/api/practices/${encodeURIComponent(practiceId)}/contacts`, {
    method: 'POST',
    body: contact,
  });
}

export function removeContact(practiceId: string, contactId: string): Promise<void> {
  return apiRequest<void>(
    `/api/practices/${encodeURIComponent(practiceId)}/contacts/${encodeURIComponent(contactId)}`,
    {
      method: 'DELETE',
    },
  );
}

export function fetchPracticeExceptions(id: string, signal?: AbortSignal): Promise<PolicyException[]> {
  return apiRequest<PolicyException[]>(`/api/practices/${encodeURIComponent(id)}/exceptions`, { signal });
}

export function addException(
  practiceId: string,
  exception: { ruleId: string | null; reason: string; approvedBy: string; until: string },
): Promise<PolicyException> {
  return apiRequest<PolicyException>(`/api/practices/${encodeURIComponent(practiceId)}/exceptions`, {
    method: 'POST',
    body: exception,
  });
}

export function revokeException(practiceId: string, exceptionId: string): Promise<PolicyException> {
  return apiRequest<PolicyException>(
    `/api/practices/${encodeURIComponent(practiceId)}/exceptions/${encodeURIComponent(exceptionId)}`,
    {
      method: 'DELETE',
    },
  );
}

export function fetchPlanReviews(practiceId: string, signal?: AbortSignal): Promise<PlanReview[]> {
  return apiRequest<PlanReview[]>(`/api/practices/${encodeURIComponent(practiceId)}/plan-reviews`, { signal });
}

export function recordPlanReview(
  practiceId: string,
  review: { reviewedBy: string; reviewedAt: string; note: string; documentUrl: string },
): Promise<PlanReview> {
  return apiRequest<PlanReview>(`/api/practices/${encodeURIComponent(practiceId)}/plan-reviews`, {
    method: 'POST',
    body: review,
  });
}
