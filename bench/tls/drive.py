#!/usr/bin/env python3
"""Heap per idle keep-alive connection, plain or TLS: see run.sh."""
import subprocess, sys, time
jh, cp, mode, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
certdir = sys.argv[5]
srv = subprocess.Popen([jh+'/bin/java','-Xmx512m','-cp',cp+':'+sys.argv[6],'HeapServer',mode,certdir], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
port = int(srv.stdout.readline().split()[1])
def client(k):
    c = subprocess.Popen([jh+'/bin/java','-cp',sys.argv[6],'HeapClient',str(port),str(k),mode,certdir+'/localhost-cert.pem'], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert c.stdout.readline().startswith('opened')
    return c
def measure():
    srv.stdin.write('m\n'); srv.stdin.flush()
    return srv.stdout.readline().strip()
w = client(300); w.stdin.write('\n'); w.stdin.flush(); w.wait(); time.sleep(1)
base = measure(); print('base', base)
t0=time.time(); c = client(n); print('opened %d in %.1fs' % (n, time.time()-t0))
time.sleep(1)
full = measure(); print('full', full)
b = int(base.split()[1]); f = int(full.split()[1])
print('%s: %.0f bytes per idle connection' % (mode, (f-b)/n))
c.stdin.write('\n'); c.stdin.flush(); c.wait(); srv.kill()
