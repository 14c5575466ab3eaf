"""Switching between patients with ten years of daily symptom entries each (3,650
entries, a 10-year plan): the Plan tab and the Symptoms tab with its plot.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_long_history.py
"""

import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from PySide6.QtWidgets import QApplication
from taperdesk import storage
from taperdesk.storage import clinicians
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.core.dispensing import DrugStock
from taperdesk.clinic import plans as operations
from taperdesk.ui.workspace import Workspace
app=QApplication([])
clinicians.ARGON2 = clinicians.CHEAP_ARGON2  # the password hash is not what is measured
p=Path(tempfile.mkdtemp())/"c.sqlite"
storage.open_database(p, create=True, auto_backup=False)
doc=storage.add_clinician(name="D", role="clinician", password="long password here")
today=date(2026,11,27)
start=today-timedelta(days=3650)
ids=[]
for k in range(2):
    pt=storage.add_patient(name=f"Ten Years {k}", born=date(1950,1,1), identifier=f"T{k}", author=doc)
    s=PlanSettings(start=start, cut_percent=4, interval_days=28, stock=(DrugStock("diazepam", liquid=True),))
    plan=make_plan(Regimen("diazepam",(("night",40.0),)), s)
    operations.start_plan(patient_id=pt.id, plan=plan, settings=s, author=doc)
    rng=random.Random(k)
    for i in range(3650):
        storage.add_symptom_entry(patient_id=pt.id, date=start+timedelta(days=i), scale="daily", items={"severity":rng.randint(1,5),"sleep":5}, author=doc)
    ids.append(pt.id)
w=Workspace(clinician=doc, today=today); w.show(); app.processEvents()
def run(label):
    t=[]
    for i in range(10):
        t0=time.perf_counter(); w.select_patient(ids[i%2]); app.processEvents(); t.append((time.perf_counter()-t0)*1000)
    print("%s: median %.0f ms max %.0f ms"%(label, statistics.median(t), max(t)))
run("10-year patients, Plan tab switch")
w.tabs.setCurrentWidget(w.symptoms_host); app.processEvents()
run("10-year patients, Symptoms tab switch")
storage.close_database()
