"""Build a plan in code instead of a file, adjust a named threshold, and read findings as data.

Run it as it is:  python examples/plan_in_code.py
"""

from __future__ import annotations

import json

from scrapecheck import CrawlPlan, evaluate

plan = CrawlPlan.model_validate({
    "crawler": {"name": "jobs-research", "user_agent": "JobsResearchBot/0.1 (+https://uni.example/jobs-bot)",
                "operator": "Example University", "operator_region": "eu"},
    "purpose": {"kind": "research", "commercial": False},
    "targets": [{"url": "https://jobs.example/listings/", "paths": ["/listings/", "/search?q=data"],
                 "robots_txt": "User-agent: *\nDisallow: /search\nCrawl-delay: 5\n",
                 "requests_per_second": 0.5}],
    "data": {"personal": True, "categories": ["employment"], "subject_regions": ["eu"],
             "estimated_subjects": 20000},
    "use": {"retention_days": 180, "honours_deletion_requests": True, "lawful_basis": "public-interest",
            "dpia_done": True},
    # A research team that treats 10,000 people as mass scale lowers the default (100,000):
    "thresholds": {"mass_scraping_subjects": 10000},
})

report = evaluate(plan, offline=True)
for finding in report.findings:
    print(f"{finding.severity.value:<8} {finding.rule_id}  {finding.message}")
print(json.dumps(report.summary(), sort_keys=True))

found = {finding.rule_id for finding in report.findings}
assert "ROB-001" in found, "robots.txt disallows /search for every agent"
assert "ROB-002" in found, "0.5 requests/s is above Crawl-delay 5 (0.2/s)"
assert "PER-001" in found, "20,000 people is mass scale under the lowered threshold"
