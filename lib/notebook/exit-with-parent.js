// Preloaded (`node --require`) into the programs a notebook starts (lib/notebook/programs.ts).
// They run in a process group of their own, so that Kernel > Interrupt stops only the cell, not
// them; this makes each one stop (SIGTERM) once the kernel that started it is gone, however it died.
'use strict';
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
}, 500).unref();
