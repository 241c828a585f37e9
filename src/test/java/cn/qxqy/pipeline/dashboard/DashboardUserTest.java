package cn.qxqy.pipeline.dashboard;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/** What the dashboard learns of its user and of the departments whose names its histories show. */
@QuarkusTest
class DashboardUserTest {

    @Test
    void aDepartmentLearnsItsDepartmentAndRegionsAViewerOnlyItsRole() {
        JsonPath county = RestAssured.given().auth().preemptive().basic("xingxian", "xingxian-secret")
                .get("/dashboard/user").then().statusCode(200).extract().jsonPath();
        assertThat(county.getList("roles")).containsExactly("department");
        assertThat(county.getString("department")).isEqualTo("xingxian");
        assertThat(county.getList("regions")).containsExactly("141123");

        JsonPath viewer = given().get("/dashboard/user").then().statusCode(200).extract().jsonPath();
        assertThat(viewer.getList("roles")).containsExactly("viewer");
        assertThat(viewer.getString("department")).isNull();
        assertThat(viewer.getList("regions")).isEmpty();

        RestAssured.given().get("/dashboard/user").then().statusCode(401);
    }

    @Test
    void theDepartmentsListNamesEachDepartmentByItsConfiguredNameOrElseItsId() {
        JsonPath departments = given().get("/api/v1/reference/departments").then().statusCode(200).extract().jsonPath();
        assertThat(departments.getString("find { it.code == 'fgw' }.nameZh")).isEqualTo("吕梁市发展和改革委员会");
        assertThat(departments.getString("find { it.code == 'xingxian' }.nameZh")).isEqualTo("兴县发展和改革局");
        assertThat(departments.getString("find { it.code == 'sww' }.nameZh")).as("no name configured").isEqualTo("sww");
    }
}
