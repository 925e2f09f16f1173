package app

// SampleEvent is an example event of an AWS service, as EventBridge delivers
// it, for the sandbox.
type SampleEvent struct {
	Name    string // as the console lists it
	Pattern string // a pattern that matches it
	Event   string
}

// SampleEvents are the sandbox's examples: events of AWS services as the
// EventBridge documentation shows them (account 123456789012, us-east-1).
var SampleEvents = []SampleEvent{
	{
		Name:    "EC2 Instance State-change Notification",
		Pattern: "{\n  \"source\": [\"aws.ec2\"],\n  \"detail-type\": [\"EC2 Instance State-change Notification\"],\n  \"detail\": {\n    \"state\": [\"pending\", \"running\"]\n  }\n}",
		Event: `{
  "version": "0",
  "id": "7bf73129-1428-4cd3-a780-95db273d1602",
  "detail-type": "EC2 Instance State-change Notification",
  "source": "aws.ec2",
  "account": "123456789012",
  "time": "2015-11-11T21:29:54Z",
  "region": "us-east-1",
  "resources": [
    "arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"
  ],
  "detail": {
    "instance-id": "i-abcd1111",
    "state": "pending"
  }
}`,
	},
	{
		Name:    "S3 Object Created",
		Pattern: "{\n  \"source\": [\"aws.s3\"],\n  \"detail-type\": [\"Object Created\"],\n  \"detail\": {\n    \"bucket\": { \"name\": [\"example-bucket\"] },\n    \"object\": { \"key\": [{ \"prefix\": \"example-\" }] }\n  }\n}",
		Event: `{
  "version": "0",
  "id": "17793124-05d4-b198-2fde-7ededc63b103",
  "detail-type": "Object Created",
  "source": "aws.s3",
  "account": "123456789012",
  "time": "2021-11-12T00:00:00Z",
  "region": "us-east-1",
  "resources": [
    "arn:aws:s3:::example-bucket"
  ],
  "detail": {
    "version": "0",
    "bucket": {
      "name": "example-bucket"
    },
    "object": {
      "key": "example-key",
      "size": 5,
      "etag": "b1946ac92492d2347c6235b4d2611184",
      "version-id": "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e",
      "sequencer": "617f08299329d189"
    },
    "request-id": "N4N7GDK58NMKJ12R",
    "requester": "123456789012",
    "source-ip-address": "1.2.3.4",
    "reason": "PutObject"
  }
}`,
	},
	{
		Name:    "CodePipeline Pipeline Execution State Change",
		Pattern: "{\n  \"source\": [\"aws.codepipeline\"],\n  \"detail-type\": [\"CodePipeline Pipeline Execution State Change\"],\n  \"detail\": {\n    \"state\": [\"STARTED\", \"FAILED\"]\n  }\n}",
		Event: `{
  "version": "0",
  "id": "01234567-EXAMPLE",
  "detail-type": "CodePipeline Pipeline Execution State Change",
  "source": "aws.codepipeline",
  "account": "123456789012",
  "time": "2020-01-24T22:03:07Z",
  "region": "us-east-1",
  "resources": [
    "arn:aws:codepipeline:us-east-1:123456789012:myPipeline"
  ],
  "detail": {
    "pipeline": "myPipeline",
    "execution-id": "12345678-1234-5678-abcd-12345678abcd",
    "execution-trigger": {
      "trigger-type": "StartPipelineExecution",
      "trigger-detail": "arn:aws:sts::123456789012:assumed-role/Admin/my-user"
    },
    "state": "STARTED",
    "version": 1,
    "pipeline-execution-attempt": 1
  }
}`,
	},
	{
		Name:    "AWS API Call via CloudTrail",
		Pattern: "{\n  \"source\": [\"aws.s3\"],\n  \"detail-type\": [\"AWS API Call via CloudTrail\"],\n  \"detail\": {\n    \"eventSource\": [\"s3.amazonaws.com\"],\n    \"eventName\": [\"CreateBucket\", \"DeleteBucket\"]\n  }\n}",
		Event: `{
  "version": "0",
  "id": "36eb8523-97d0-4518-b33d-ee3579ff19f0",
  "detail-type": "AWS API Call via CloudTrail",
  "source": "aws.s3",
  "account": "123456789012",
  "time": "2016-02-20T01:09:13Z",
  "region": "us-east-1",
  "resources": [],
  "detail": {
    "eventVersion": "1.03",
    "userIdentity": {
      "type": "Root",
      "principalId": "123456789012",
      "arn": "arn:aws:iam::123456789012:root",
      "accountId": "123456789012",
      "sessionContext": {
        "attributes": {
          "mfaAuthenticated": "false",
          "creationDate": "2016-02-20T01:05:59Z"
        }
      }
    },
    "eventTime": "2016-02-20T01:09:13Z",
    "eventSource": "s3.amazonaws.com",
    "eventName": "CreateBucket",
    "awsRegion": "us-east-1",
    "sourceIPAddress": "100.100.100.100",
    "userAgent": "[S3Console/0.4]",
    "requestParameters": {
      "bucketName": "bucket-test-iad"
    },
    "responseElements": null,
    "requestID": "9D767BCC3B4E7487",
    "eventID": "24ba271e-d595-4e66-a7fd-9c16cbf8abae",
    "eventType": "AwsApiCall"
  }
}`,
	},
	{
		Name:    "Scheduled Event",
		Pattern: "{\n  \"source\": [\"aws.events\"],\n  \"detail-type\": [\"Scheduled Event\"]\n}",
		Event: `{
  "version": "0",
  "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
  "detail-type": "Scheduled Event",
  "source": "aws.events",
  "account": "123456789012",
  "time": "2015-10-08T16:53:06Z",
  "region": "us-east-1",
  "resources": [
    "arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule"
  ],
  "detail": {}
}`,
	},
}
