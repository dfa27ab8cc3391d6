import { Alert, Button, Center, Group, Loader, Text } from '@mantine/core';

export function LoadingState({ label }: { label: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Group gap="sm">
        <Loader size="sm" aria-hidden />
        <Text>{label}</Text>
      </Group>
    </Center>
  );
}

export function ErrorState({
  title,
  error,
  onRetry,
  retrying,
}: {
  title: string;
  error: unknown;
  onRetry: () => void;
  retrying?: boolean;
}) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Alert color="red" title={title} role="alert" my="md">
      <Text mb="sm">{message}</Text>
      <Button variant="outline" color="red" onClick={onRetry} loading={retrying}>
        Retry
      </Button>
    </Alert>
  );
}
