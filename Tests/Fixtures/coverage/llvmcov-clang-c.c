#include <stdio.h>
#include <stdlib.h>

#define SQUARE(x) ((x) * (x))
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "fail\n"); } } while (0)
#define MAX(a, b) ((a) > (b) ? (a) : (b))

static int table[16];

int classify(int n) {
  if (n < 0)
    return -1;
  else if (n == 0) return 0;
  switch (n % 3) {
  case 0:
    return 3;
  case 1: { int k = n; (void)k; }
    break;
  default:
    ;
  }
  return 1;
}

int loops(int n) {
  int s = 0;
  for (int i = 0; i < n; i++) { if (i % 2) continue; s += i; }
  while (s > 100)
    s /= 2;
  do {
    s++;
  } while (s < 3);
  return s;
}

#if 0
int never_compiled(void) {
  return 42;
}
#endif

#ifdef NOT_DEFINED_ANYWHERE
static int also_skipped = 1;
#endif

int process(int err) {
  {
    if (err) {
      return 0;
    }
    int fd = 1;
    (void)fd;
  }
  int result = 42;
  (void)result;
  return 1;
}

void foo(int cond) {
  if (cond) {
    int x = 1;
    (void)x;
  }
  int y = 2; (void)y;
}

int ternary(int a, int b) {
  return a > b
    ? a
    : b;
}

int with_goto(int n) {
  if (n > 5) goto out;
  n *= 2;
out:
  return n;
}

int macros(int v) {
  CHECK(v > 0);
  int m = MAX(SQUARE(v), 10);
  return m;
}

int unused(int x) { return x + 1; }

int short_circuit(int a, int b, int c) {
  if (a && (b || c)) return 1;
  return 0;
}

int main(int argc, char **argv) {
  int total = 0;
  for (int i = -2; i < 8; i++) total += classify(i);
  total += loops(30);
  total += process(0) + process(1);
  foo(0);
  total += ternary(3, 4) + ternary(5, 1);
  total += with_goto(2) + with_goto(9);
  total += macros(3) + macros(-1);
  total += short_circuit(1, 0, 1) + short_circuit(0, 1, 1);
  table[argc % 16] = total;
  if (argc > 3) { printf("many\n"); }
  printf("%d\n", total);
  return 0;
}
