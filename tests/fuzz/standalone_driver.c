/*
 * Runs a fuzz target once on every file of the directories (or files) given
 * on the command line, so that corpora are regression tests with any
 * compiler. Exits 0 when every input ran; a crash or sanitizer report is
 * the failure.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    perror(path);
    return -1;
  }
  if (fseek(f, 0, SEEK_END) != 0) {
    fclose(f);
    return -1;
  }
  long n = ftell(f);
  if (n < 0 || fseek(f, 0, SEEK_SET) != 0) {
    fclose(f);
    return -1;
  }
  /* malloc(0) may return NULL; keep one byte so the target gets a pointer */
  uint8_t *buf = malloc((size_t)n + 1);
  if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    fclose(f);
    return -1;
  }
  fclose(f);
  LLVMFuzzerTestOneInput(buf, (size_t)n);
  free(buf);
  return 0;
}

static int run_path(const char *path, unsigned *count)
{
  struct stat st;
  if (stat(path, &st) != 0) {
    perror(path);
    return -1;
  }
  if (!S_ISDIR(st.st_mode)) {
    (*count)++;
    return run_file(path);
  }
  DIR *dir = opendir(path);
  if (dir == NULL) {
    perror(path);
    return -1;
  }
  int rc = 0;
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char child[4096];
    if ((size_t)snprintf(child, sizeof(child), "%s/%s", path, e->d_name) >= sizeof(child)) {
      rc = -1;
      continue;
    }
    if (run_path(child, count) != 0)
      rc = -1;
  }
  closedir(dir);
  return rc;
}

int main(int argc, char **argv)
{
  unsigned count = 0;
  int rc = 0;
  for (int i = 1; i < argc; i++)
    if (run_path(argv[i], &count) != 0)
      rc = 1;
  printf("%u corpus inputs ran: %u passed, %d failed\n", count, rc == 0 ? count : 0, rc == 0 ? 0 : 1);
  if (count == 0) {
    fprintf(stderr, "no corpus inputs found\n");
    return 1;
  }
  return rc;
}
