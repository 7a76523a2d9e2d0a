'use client';
import { useEffect, useRef } from 'react';

/**
 * A tag's colour input. It reports a colour once it is chosen: on the native `change` a closed
 * picker or a typed value sends, not on every colour the picker passes through (React's
 * onChange is `input`).
 */
export function ColourPicker({
  label,
  initial,
  onPick,
  disabled = false,
}: {
  label: string;
  initial: string;
  onPick: (colour: string) => void;
  disabled?: boolean;
}) {
  const input = useRef<HTMLInputElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  useEffect(() => {
    const el = input.current!;
    const onChange = () => pick.current(el.value);
    el.addEventListener('change', onChange);
    return () => el.removeEventListener('change', onChange);
  }, []);
  return (
    <input
      type="color"
      aria-label={label}
      ref={input}
      defaultValue={initial}
      disabled={disabled}
      className="h-7 w-9 cursor-pointer rounded border border-zinc-300 bg-transparent dark:border-zinc-700"
    />
  );
}
